from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.exceptions import AuthenticationFailed, NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from cqtt.accounts.services import token_revoke
from cqtt.core.serializer_fields import TextField

from .authentication import CachedTokenAuthentication


class TokenRateThrottle(AnonRateThrottle):
    scope = "token"


@extend_schema_serializer(component_name="TokenInput")
class TokenInput(AuthTokenSerializer):
    """DRF's username and password check, with our message for a NUL character."""

    username = TextField(label=gettext_lazy("Tên đăng nhập"), write_only=True)
    password = TextField(
        label=gettext_lazy("Mật khẩu"),
        style={"input_type": "password"},
        trim_whitespace=False,
        write_only=True,
    )


class TokenApi(APIView):
    """POST exchanges a staff username and password for an API token (`Authorization: Token <token>`); DELETE
    revokes the token the request is made with."""

    permission_classes = [AllowAny]
    throttle_classes = [TokenRateThrottle]

    def initialize_request(self, request, *args, **kwargs):
        # only DELETE authenticates the caller (with its token); POST takes a username and password
        self.authentication_classes = [CachedTokenAuthentication] if request.method == "DELETE" else []
        return super().initialize_request(request, *args, **kwargs)

    def get_throttles(self):
        return super().get_throttles() if self.request.method == "POST" else []

    @extend_schema(
        request=TokenInput,
        responses=inline_serializer("TokenOutput", {"token": serializers.CharField()}),
    )
    def post(self, request):
        serializer = TokenInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})

    @extend_schema(request=None, responses={204: OpenApiResponse(description=_("Đã thu hồi mã truy cập."))})
    def delete(self, request):
        if not isinstance(request.auth, Token):
            raise NotAuthenticated()
        if not token_revoke(token=request.auth, actor=request.user):
            raise AuthenticationFailed()  # revoked meanwhile: the same answer as any revoked token
        return Response(status=status.HTTP_204_NO_CONTENT)
