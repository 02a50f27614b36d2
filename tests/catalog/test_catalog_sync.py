from django.core.management import call_command

from compute_advisor.catalog import reference
from compute_advisor.catalog.models import (
    AppRunnerInstanceSize,
    Ec2InstanceType,
    FargateTaskSize,
    LightsailBundle,
    Service,
    ServiceNotice,
)
from compute_advisor.catalog.services import catalog_sync


def test_it_copies_the_reference_files_into_the_database(db):
    counts = catalog_sync()
    assert counts.services == 7
    assert counts.fargate_sizes == len(reference.fargate_task_sizes()) == FargateTaskSize.objects.count()
    assert counts.app_runner_sizes == 11 == AppRunnerInstanceSize.objects.count()
    assert counts.instance_types == 1392 == Ec2InstanceType.objects.count()
    assert LightsailBundle.objects.count() == len(reference.lightsail_bundles())
    four = FargateTaskSize.objects.filter(vcpu=4)
    assert (four.count(), four.first().memory_gib, four.last().memory_gib) == (23, 8, 30)
    assert FargateTaskSize.objects.filter(vcpu=16, windows=True).count() == 0


def test_a_second_sync_changes_nothing(db):
    catalog_sync()
    before = (Service.objects.count(), ServiceNotice.objects.count(), Ec2InstanceType.objects.count())
    names = sorted(Ec2InstanceType.objects.values_list("name", flat=True))
    catalog_sync()
    assert (Service.objects.count(), ServiceNotice.objects.count(), Ec2InstanceType.objects.count()) == before
    assert sorted(Ec2InstanceType.objects.values_list("name", flat=True)) == names


def test_the_command_reports_what_it_loaded(db, capsys):
    call_command("load_catalog")
    out = capsys.readouterr().out
    assert "7 services" in out
    assert "1392 EC2 instance types" in out
