"""The public page's Atom feed: published celebrations and completed public activities."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from .selectors import FeedEntry, feed_entries


class PublicResultsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("What the SME dialogue led to – Eskilstuna kommun")

    def subtitle(self) -> str:
        return _(
            "Celebrations and completed activities of Eskilstuna's action plan for small and "
            "medium-sized companies."
        )

    def link(self) -> str:
        return reverse("public:results")

    def feed_url(self) -> str:
        return reverse("public:feed")

    def author_name(self) -> str:
        return "Eskilstuna kommun"

    def items(self) -> list[FeedEntry]:
        return feed_entries()

    def item_title(self, item: FeedEntry) -> str:
        return item.title

    def item_description(self, item: FeedEntry) -> str:
        return item.summary

    def item_link(self, item: FeedEntry) -> str:
        return f"{reverse('public:results')}#{item.key}"

    def item_pubdate(self, item: FeedEntry) -> datetime:
        return timezone.make_aware(datetime.combine(item.on, time(12)))

    def item_updateddate(self, item: FeedEntry) -> datetime:
        return self.item_pubdate(item)
