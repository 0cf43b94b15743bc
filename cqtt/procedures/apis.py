from rest_framework.views import APIView


class ProcedureListApi(APIView):
    """Placeholder replaced by the procedures implementation."""
