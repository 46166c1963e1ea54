from django.urls import path

from .views import entry, evidence, export, groups, merge, proposals, votes, workshops

app_name = "workshops"

urlpatterns = [
    path("", workshops.WorkshopListView.as_view(), name="workshop_list"),
    path("ny/", workshops.WorkshopCreateView.as_view(), name="workshop_create"),
    path("<int:pk>/", workshops.WorkshopDetailView.as_view(), name="workshop_detail"),
    path("<int:pk>/andra/", workshops.WorkshopUpdateView.as_view(), name="workshop_update"),
    path("<int:pk>/grupper/ny/", groups.GroupCreateView.as_view(), name="group_create"),
    path("grupper/<int:pk>/andra/", groups.GroupUpdateView.as_view(), name="group_update"),
    # Fast entry during a session: one page per group, made for a tablet.
    path("grupper/<int:pk>/forslag/", entry.FastEntryView.as_view(), name="fast_entry"),
    path(
        "forslag/<int:pk>/angra-tillagg/",
        entry.ProposalUndoAddView.as_view(),
        name="proposal_undo_add",
    ),
    path("<int:pk>/rostning/", votes.VotesView.as_view(), name="votes"),
    path("<int:pk>/sla-ihop/", merge.MergeView.as_view(), name="merge"),
    path("sammanslagningar/<int:pk>/angra/", merge.MergeUndoView.as_view(), name="merge_undo"),
    path("<int:pk>/export.xlsx", export.workshop_export, name="workshop_export"),
    path("forslag/<int:pk>/", proposals.ProposalDetailView.as_view(), name="proposal_detail"),
    path("forslag/<int:pk>/andra/", proposals.ProposalUpdateView.as_view(), name="proposal_update"),
    path("forslag/<int:pk>/underlag/", evidence.EvidenceView.as_view(), name="proposal_evidence"),
]
