from rest_framework.views import APIView


class DueDateApi(APIView):
    """Placeholder replaced by the workdays implementation."""
