"""Store every email address in lower case, so sign-in and uniqueness ignore case.

Two accounts whose addresses differ only in case cannot both be kept: which one is the person's is a decision
for an administrator, not for a migration. When there are any, the migration stops and names the accounts by
id (never by address, which is personal data), changing nothing. Give each a distinct address in the Django
admin (Users), or deactivate and re-address the one no longer used, then run `devicebank migrate` again.
"""

from collections import defaultdict

from django.db import migrations


class EmailsDifferOnlyInCase(RuntimeError):
    pass


def lowercase_emails(apps, schema_editor):
    User = apps.get_model("people", "User")
    by_address = defaultdict(list)
    for pk, email in User.objects.order_by("pk").values_list("pk", "email"):
        by_address[email.strip().lower()].append(pk)
    clashes = [ids for ids in by_address.values() if len(ids) > 1]
    if clashes:
        groups = "; ".join("users " + ", ".join(str(pk) for pk in ids) for ids in clashes)
        raise EmailsDifferOnlyInCase(
            f"{len(clashes)} email address(es) are used by more than one account when case is ignored: "
            f"{groups}. Give each account a distinct address (Django admin, Users), then migrate again. "
            "Nothing was changed."
        )
    for pk, email in User.objects.values_list("pk", "email"):
        if email != email.strip().lower():
            User.objects.filter(pk=pk).update(email=email.strip().lower())


class Migration(migrations.Migration):
    dependencies = [("people", "0002_organisation_unique_name_unless_urn")]

    operations = [migrations.RunPython(lowercase_emails, migrations.RunPython.noop)]
