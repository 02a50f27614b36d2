"""Writes to the catalog: copy the reference files into the database, idempotently."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from compute_advisor.catalog.models import (
    AppRunnerInstanceSize,
    Ec2InstanceType,
    FargateTaskSize,
    LightsailBundle,
    LightsailContainerPower,
    Service,
    ServiceNotice,
)
from compute_advisor.engine import reference


@dataclass(frozen=True)
class CatalogCounts:
    services: int
    fargate_sizes: int
    app_runner_sizes: int
    lightsail_bundles: int
    lightsail_powers: int
    instance_types: int


@transaction.atomic
def catalog_sync() -> CatalogCounts:
    """Make the database catalog equal the reference files: add, update, and drop what left them."""
    for info in reference.services():
        service, _ = Service.objects.update_or_create(
            code=info.code,
            defaults={
                "name": info.name,
                "summary": info.summary,
                "billing_model": info.billing_model,
                "ordering": info.ordering,
                "limits": list(info.limits),
                "links": list(info.links),
            },
        )
        for notice in info.notices:
            ServiceNotice.objects.update_or_create(
                service=service,
                title=notice.title,
                defaults={
                    "kind": notice.kind,
                    "text": notice.text,
                    "effective": notice.effective,
                    "source_url": notice.source_url,
                },
            )
        service.notices.exclude(title__in=[n.title for n in info.notices]).delete()
    Service.objects.exclude(code__in=[s.code for s in reference.services()]).delete()

    _replace(
        FargateTaskSize,
        [
            FargateTaskSize(
                vcpu=s.vcpu,
                memory_gib=s.memory_gib,
                cpu_units=s.cpu_units,
                linux="linux" in s.os,
                windows="windows" in s.os,
                note=s.note,
            )
            for s in reference.fargate_task_sizes()
        ],
    )
    _replace(
        AppRunnerInstanceSize,
        [
            AppRunnerInstanceSize(vcpu=s.vcpu, memory_gib=s.memory_gib, is_default=s.is_default)
            for s in reference.app_runner_sizes()
        ],
    )
    _replace(
        LightsailBundle,
        [
            LightsailBundle(
                bundle_id=b.bundle_id,
                name=b.name,
                platform=b.platform,
                family=b.family,
                vcpu=b.vcpu,
                memory_gib=b.memory_gib,
                disk_gib=b.disk_gib,
                transfer_gib=b.transfer_gib,
                ordering=b.ordering,
            )
            for b in reference.lightsail_bundles()
        ],
    )
    _replace(
        LightsailContainerPower,
        [
            LightsailContainerPower(power=p.power, vcpu=p.vcpu, memory_gib=p.memory_gib, ordering=p.ordering)
            for p in reference.lightsail_powers()
        ],
    )
    _replace(
        Ec2InstanceType,
        [
            Ec2InstanceType(
                name=t.name,
                family=t.family,
                vcpu=t.vcpu,
                memory_mib=t.memory_mib,
                gpus=t.gpus,
                architecture=t.architecture,
                burstable=t.burstable,
                max_enis=t.max_enis,
                ipv4_per_eni=t.ipv4_per_eni,
                trunking_compatible=t.trunking_compatible,
                branch_enis=t.branch_enis,
                hypervisor=t.hypervisor,
                bare_metal=t.bare_metal,
            )
            for t in reference.instance_types()
        ],
    )
    return CatalogCounts(
        services=Service.objects.count(),
        fargate_sizes=FargateTaskSize.objects.count(),
        app_runner_sizes=AppRunnerInstanceSize.objects.count(),
        lightsail_bundles=LightsailBundle.objects.count(),
        lightsail_powers=LightsailContainerPower.objects.count(),
        instance_types=Ec2InstanceType.objects.count(),
    )


def _replace(model: type, rows: list) -> None:  # type: ignore[type-arg]
    """Size tables hold no user data and nothing points at them, so a full replace is the simple sync."""
    model.objects.all().delete()
    model.objects.bulk_create(rows, batch_size=500)
