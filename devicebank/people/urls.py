from django.urls import path

from devicebank.core.views import AccessibilityView
from devicebank.people import views

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.SignInCodeView.as_view(), name="sign-in-code"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/two-factor/", views.TwoFactorSetUpView.as_view(), name="two-factor-set-up"),
    path(
        "account/two-factor/recovery-codes/",
        views.RecoveryCodesView.as_view(),
        name="two-factor-recovery-codes",
    ),
    path("account/api-tokens/", views.ApiTokensView.as_view(), name="api-tokens"),
    path(
        "account/api-tokens/<str:prefix>/revoke/", views.ApiTokenRevokeView.as_view(), name="api-token-revoke"
    ),
    path("people/", views.MembershipsView.as_view(), name="memberships"),
    path("people/<int:pk>/revoke/", views.MembershipRevokeView.as_view(), name="membership-revoke"),
    path("accessibility/", AccessibilityView.as_view(), name="accessibility"),
]
