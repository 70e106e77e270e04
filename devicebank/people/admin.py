from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from devicebank.core.admin import ReadOnlyAdmin
from devicebank.core.forms import user_of
from devicebank.people.access import scope_for
from devicebank.people.models import ApiToken, Location, Membership, Organisation, User
from devicebank.people.services import membership_grant, membership_revoke, two_factor_reset

# django-otp's own device admins can show and edit keys: two-factor is managed only through the services
# (the person sets up their own app; an admin can only reset it, below).
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


def _platform_admin_only(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_authenticated and scope_for(user).is_platform_admin)


# The admin is for platform admins only (docs/architecture.md, "Access scoping").
admin.site.has_permission = _platform_admin_only  # type: ignore[method-assign]


class MembershipInline(admin.TabularInline):
    """Shown on the person for reading; granted and revoked under Memberships, through the services."""

    model = Membership
    extra = 0
    fields = ["organisation", "role", "created_at"]
    readonly_fields = ["organisation", "role", "created_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Grant (add) and revoke (delete) roles through the services, so each leaves an event. A role is never
    edited in place: revoke it and grant the new one."""

    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__full_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        granted = membership_grant(
            user=obj.user, organisation=obj.organisation, role=obj.role, by=user_of(request)
        )
        obj.pk = granted.pk  # the admin's own log and redirect need the saved row's id

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        membership_revoke(membership=obj, by=user_of(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset:
            membership_revoke(membership=membership, by=user_of(request))


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "memberships__role"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name",)}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),
    )
    filter_horizontal = ()
    inlines = [MembershipInline]
    actions = ["reset_two_factor"]

    @admin.action(description="Reset two-factor sign-in (lost phone): they set it up again at next sign-in")
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            two_factor_reset(user=user, by=user_of(request))
        self.message_user(
            request, f"Reset two-factor sign-in for {queryset.count()} people.", messages.SUCCESS
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would drop memberships without an event (and events refer to people): deactivate instead.
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active", "name_on_public_certificates"]
    search_fields = ["name", "urn"]
    autocomplete_fields = ["parent"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting would silently drop the organisation from programmes' partners and funders: deactivate it.
        return False


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "kind", "postcode"]
    list_filter = ["kind"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation"]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
