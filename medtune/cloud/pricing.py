"""GPU training instances SageMaker offers, and what an hour of each costs.

Prices are us-east-1 on-demand prices for *training* jobs, per instance-hour, as listed on
https://aws.amazon.com/sagemaker/pricing/ around :data:`PRICES_AS_OF`; the g6 and g6e rows
are approximate (EC2 list price plus SageMaker's usual ~25%). Other regions differ, AWS
changes prices (P4/P5 were cut in mid-2025), and a job is billed per second it actually
runs, so an estimate from this table is a ceiling to check against the pricing page, not a
quote. Update the table and :data:`PRICES_AS_OF` together.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from medtune.errors import ConfigError

PRICES_AS_OF = "2025-01-15"
PRICE_REGION = "us-east-1"
#: Managed spot training typically saves this share of the on-demand price (low, high).
SPOT_DISCOUNT = (0.5, 0.9)


@dataclass(frozen=True)
class Instance:
    """A GPU training instance type."""

    gpus: int
    gpu: str
    gpu_memory_gib: int
    usd_per_hour: float


def _family(gpu: str, memory: int, sizes: dict[str, tuple[int, float]]) -> dict[str, Instance]:
    return {name: Instance(n, gpu, memory, price) for name, (n, price) in sizes.items()}


#: instance type -> GPUs, GPU model, memory per GPU (GiB), on-demand USD per hour.
INSTANCES: dict[str, Instance] = {
    **_family(
        "T4",
        16,
        {
            "ml.g4dn.xlarge": (1, 0.736),
            "ml.g4dn.2xlarge": (1, 0.94),
            "ml.g4dn.4xlarge": (1, 1.505),
            "ml.g4dn.8xlarge": (1, 2.72),
            "ml.g4dn.16xlarge": (1, 5.44),
            "ml.g4dn.12xlarge": (4, 4.89),
        },
    ),
    **_family(
        "A10G",
        24,
        {
            "ml.g5.xlarge": (1, 1.408),
            "ml.g5.2xlarge": (1, 1.515),
            "ml.g5.4xlarge": (1, 2.03),
            "ml.g5.8xlarge": (1, 3.06),
            "ml.g5.16xlarge": (1, 5.12),
            "ml.g5.12xlarge": (4, 7.09),
            "ml.g5.24xlarge": (4, 10.18),
            "ml.g5.48xlarge": (8, 20.36),
        },
    ),
    **_family(
        "L4",
        24,
        {
            "ml.g6.xlarge": (1, 1.006),
            "ml.g6.2xlarge": (1, 1.222),
            "ml.g6.4xlarge": (1, 1.654),
            "ml.g6.8xlarge": (1, 2.518),
            "ml.g6.16xlarge": (1, 4.237),
            "ml.g6.12xlarge": (4, 5.829),
            "ml.g6.24xlarge": (4, 8.230),
            "ml.g6.48xlarge": (8, 16.461),
        },
    ),
    **_family(
        "L40S",
        48,
        {
            "ml.g6e.xlarge": (1, 2.326),
            "ml.g6e.2xlarge": (1, 2.803),
            "ml.g6e.4xlarge": (1, 3.755),
            "ml.g6e.8xlarge": (1, 5.661),
            "ml.g6e.16xlarge": (1, 9.471),
            "ml.g6e.12xlarge": (4, 13.116),
            "ml.g6e.24xlarge": (4, 18.832),
            "ml.g6e.48xlarge": (8, 37.664),
        },
    ),
    **_family(
        "V100",
        16,
        {"ml.p3.2xlarge": (1, 3.825), "ml.p3.8xlarge": (4, 14.688), "ml.p3.16xlarge": (8, 28.152)},
    ),
    **_family("V100", 32, {"ml.p3dn.24xlarge": (8, 35.894)}),
    **_family("A100", 40, {"ml.p4d.24xlarge": (8, 37.688)}),
    **_family("A100", 80, {"ml.p4de.24xlarge": (8, 47.11)}),
    **_family("H100", 80, {"ml.p5.48xlarge": (8, 113.068)}),
}


def instance(name: str) -> Instance:
    """The :class:`Instance` called ``name``; an unknown name is a ConfigError naming the nearest."""
    if name in INSTANCES:
        return INSTANCES[name]
    near = difflib.get_close_matches(name, INSTANCES, n=3, cutoff=0.6)
    hint = (
        f"did you mean {', '.join(near)}?" if near else "e.g. ml.g5.2xlarge, ml.g6e.12xlarge, ml.p4d.24xlarge"
    )
    raise ConfigError(
        f"sagemaker.instance_type: {name!r} is not a GPU training instance SageMaker offers; {hint}"
    )


@dataclass(frozen=True)
class CostEstimate:
    """What a job costs at most: on-demand price x instances x max run hours."""

    instance_type: str
    instance_count: int
    hours: float
    usd_per_hour: float
    on_demand_usd: float
    spot_usd: tuple[float, float] | None
    prices_as_of: str = PRICES_AS_OF
    price_region: str = PRICE_REGION


def estimate_cost(instance_type: str, count: int, hours: float, spot: bool) -> CostEstimate:
    """Upper-bound cost of ``count`` x ``instance_type`` running ``hours`` (spot: a range)."""
    per_hour = instance(instance_type).usd_per_hour
    total = per_hour * count * hours
    low, high = SPOT_DISCOUNT
    return CostEstimate(
        instance_type=instance_type,
        instance_count=count,
        hours=hours,
        usd_per_hour=per_hour,
        on_demand_usd=round(total, 2),
        spot_usd=(round(total * (1 - high), 2), round(total * (1 - low), 2)) if spot else None,
    )
