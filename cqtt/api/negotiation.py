"""Content negotiation of the API (DRF setting DEFAULT_CONTENT_NEGOTIATION_CLASS)."""

from rest_framework.negotiation import DefaultContentNegotiation


class JSONFirstNegotiation(DefaultContentNegotiation):
    """A view with one renderer (the API's JSON) answers with it without parsing the client's Accept header on
    every request; views that offer several formats (the OpenAPI schema) negotiate as DRF does."""

    def select_renderer(self, request, renderers, format_suffix=None):
        if len(renderers) == 1:
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
