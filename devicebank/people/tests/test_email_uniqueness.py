"""Two accounts may not have addresses that differ only in case; the migration that lower-cases says which."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from devicebank.people.models import User
from devicebank.people.tests.factories import UserFactory


@pytest.mark.django_db
def test_new_accounts_store_their_address_in_lower_case() -> None:
    assert User.objects.create_user("New.Person@Example.ORG", "x" * 12).email == "new.person@example.org"
    user = UserFactory()
    user.email = " Changed@Example.org "
    user.save()
    user.refresh_from_db()
    assert user.email == "changed@example.org"


@pytest.mark.django_db
def test_the_database_refuses_a_second_account_that_differs_only_in_case() -> None:
    UserFactory(email="one@example.org")
    other = UserFactory(email="two@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=other.pk).update(email="ONE@example.org")  # update() skips save()


@pytest.mark.django_db
def test_forms_are_told_the_address_is_taken() -> None:
    UserFactory(email="one@example.org")
    with pytest.raises(ValidationError, match="An account with this email address already exists"):
        User(email="One@Example.org").validate_constraints()


@pytest.mark.django_db(transaction=True)
def test_the_migration_stops_and_names_clashing_accounts_by_id_without_changing_anything() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([("people", "0002_organisation_unique_name_unless_urn")])
    try:
        old_apps = (
            MigrationExecutor(connection)
            .loader.project_state([("people", "0002_organisation_unique_name_unless_urn")])
            .apps
        )
        OldUser = old_apps.get_model("people", "User")
        first = OldUser.objects.create(email="Sam@Example.org", password="!")
        second = OldUser.objects.create(email="sam@example.org", password="!")
        mixed = OldUser.objects.create(email="Alex@Example.org", password="!")

        executor = MigrationExecutor(connection)
        with pytest.raises(Exception, match=rf"users {first.pk}, {second.pk}") as raised:
            executor.migrate([("people", "0003_lowercase_emails")])
        assert "sam@" not in str(raised.value).lower()
        assert OldUser.objects.get(pk=mixed.pk).email == "Alex@Example.org"  # nothing changed

        OldUser.objects.filter(pk=second.pk).update(email="sam.other@example.org")
        executor = MigrationExecutor(connection)
        executor.migrate([("people", "0003_lowercase_emails")])
        assert OldUser.objects.get(pk=mixed.pk).email == "alex@example.org"
        assert OldUser.objects.get(pk=first.pk).email == "sam@example.org"
    finally:
        OldUser.objects.all().delete() if "OldUser" in dir() else None
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
