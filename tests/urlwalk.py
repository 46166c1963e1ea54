"""Walk every URL pattern of the project so that access tests cover pages added later."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

# URLs anyone may reach without logging in.
PUBLIC_URL_NAMES = {
    "login",
    "set_language",
    "core:healthz",
    "core:accessibility",
    "public:results",
    "public:feed",
    "letters:unsubscribe",
    "opendata:index",
    "opendata:dcat",
    "opendata:download_csv",
    "opendata:download_json",
    "api:public_areas",
    "api:public_proposals",
    "api:public_activities",
    "api:public_goals",
    "api:public_indicators",
    "api:public_celebrations",
    "api:schema",
    "api:docs",
}

# Example values for URL arguments that are not an object's id (<pk>), an area (<slug>) or a
# signed token: the walks put these in the URL.
URL_ARGUMENT_EXAMPLES = {
    # An open dataset (opendata.datasets.DATASETS).
    "dataset": "proposals",
}


def iter_url_patterns(
    resolver: URLResolver | None = None, namespace: str = "", prefix: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """Yield (qualified name, route, pattern) for every named pattern outside the Django admin."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin" or entry.namespace == "admin":
                continue
            child_namespace = namespace
            if entry.namespace:
                child_namespace = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from iter_url_patterns(entry, child_namespace, prefix + str(entry.pattern))
        elif entry.name:
            qualified = f"{namespace}:{entry.name}" if namespace else entry.name
            yield qualified, prefix + str(entry.pattern), entry
