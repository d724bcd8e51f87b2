"""Create or update the public PKCE client 'latchkey-demo' (idempotent), with
IDP_EDGE_ORIGIN and IDP_EDGE_SECRET the confidential client 'latchkey-edge' for latchkey
edge, and, with --user, a verified user (password "correct horse battery staple" by
default) whose first and last name come from --name (they make the ID token's `name`
claim)."""
import os

from allauth.account.models import EmailAddress
from allauth.idp.oidc.models import Client
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

CLIENT_ID = "latchkey-demo"
EDGE_CLIENT_ID = "latchkey-edge"


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--user", help="email of a verified test user to create or reset")
        parser.add_argument("--password", default="correct horse battery staple")
        parser.add_argument("--name", default="Dana Demo", help="the user's full name")

    def handle(self, *args, **opts):
        front = settings.FRONTEND
        client = Client.objects.filter(id=CLIENT_ID).first() or Client(id=CLIENT_ID)
        client.name = "latchkey demo"
        client.type = Client.Type.PUBLIC  # no secret; PKCE
        client.skip_consent = True
        client.set_scopes(["openid", "profile", "email", "offline_access"])
        client.set_default_scopes(["openid", "profile", "email"])
        client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE, Client.GrantType.REFRESH_TOKEN])
        client.set_response_types(["code"])
        client.set_redirect_uris([front + "/callback", front + "/"])
        client.set_post_logout_redirect_uris([front + "/"])
        client.set_cors_origins([front])  # oauthlib ignores http:// origins: django-cors-headers does CORS
        client.save()
        self.stdout.write(f"client {CLIENT_ID} ready")
        edge, secret = os.environ.get("IDP_EDGE_ORIGIN"), os.environ.get("IDP_EDGE_SECRET")
        if edge and secret:
            self.ensure_edge_client(edge.rstrip("/"), secret)
        if opts["user"]:
            email = opts["user"].strip().lower()
            User = get_user_model()
            user = User.objects.filter(email__iexact=email).first()
            created = user is None
            if created:
                user = User(username=email.split("@")[0][:100] or "user", email=email)
                while User.objects.filter(username=user.username).exists():
                    user.username += "_"
            user.first_name, _, user.last_name = opts["name"].partition(" ")
            user.set_password(opts["password"])
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True})
            self.stdout.write(f"user {email} {'created' if created else 'reset'}")

    def ensure_edge_client(self, edge, secret):
        """latchkey edge is a server: a confidential client (client_secret_basic) that
        still uses PKCE, with its callback and back-channel-free logout."""
        client = Client.objects.filter(id=EDGE_CLIENT_ID).first() or Client(id=EDGE_CLIENT_ID)
        client.name = "latchkey edge"
        client.type = Client.Type.CONFIDENTIAL
        client.set_secret(secret)
        client.skip_consent = True
        client.set_scopes(["openid", "profile", "email", "offline_access"])
        client.set_default_scopes(["openid", "profile", "email"])
        client.set_grant_types([Client.GrantType.AUTHORIZATION_CODE, Client.GrantType.REFRESH_TOKEN])
        client.set_response_types(["code"])
        client.set_redirect_uris([edge + "/auth/callback"])
        client.set_post_logout_redirect_uris([edge + "/"])
        client.save()
        self.stdout.write(f"client {EDGE_CLIENT_ID} ready for {edge}")
