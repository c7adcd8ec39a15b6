"""The Hugging Face training container, resolved offline from the SDK's image URI table."""

from __future__ import annotations

from medtune.config import SageMakerSettings
from medtune.errors import ConfigError


def supported_versions() -> list[tuple[str, str, str]]:
    """(transformers, pytorch, python) triples of the SDK's Hugging Face training images."""
    from sagemaker.core import image_uris

    versions = image_uris.config_for_framework("huggingface")["training"]["versions"]
    return [
        (tf, base.removeprefix("pytorch"), py)
        for tf, bases in versions.items()
        for base, spec in bases.items()
        if base.startswith("pytorch") and isinstance(spec, dict)
        for py in spec.get("py_versions", [])
    ]


def _numbers(version: str) -> list[int]:
    return [int(part) if part.isdigit() else 0 for part in version.split(".")]


def _distance(a: str, b: str) -> list[int]:
    return [abs(x - y) for x, y in zip(_numbers(a), _numbers(b), strict=False)]


def nearest_versions(transformers: str, pytorch: str, n: int = 3) -> list[tuple[str, str, str]]:
    """The ``n`` supported triples closest to ``transformers``/``pytorch`` (newest wins ties)."""
    triples = sorted(supported_versions(), key=lambda t: _numbers(t[0]), reverse=True)
    return sorted(triples, key=lambda t: (_distance(transformers, t[0]), _distance(pytorch, t[1])))[:n]


def image_uri(sm: SageMakerSettings, region: str, instance_type: str) -> str:
    """``sm.image_uri`` if set, else the Hugging Face PyTorch training image for ``region``."""
    if sm.image_uri:
        return sm.image_uri
    from sagemaker.core import image_uris

    try:
        return image_uris.retrieve(
            "huggingface",
            region=region,
            version=sm.transformers_version,
            base_framework_version=f"pytorch{sm.pytorch_version}",
            py_version=sm.py_version,
            instance_type=instance_type,
            image_scope="training",
        )
    except (ValueError, KeyError, AttributeError):
        near = "; ".join(
            f"transformers {t} / pytorch {p} / {py}"
            for t, p, py in nearest_versions(sm.transformers_version, sm.pytorch_version)
        )
        raise ConfigError(
            f"sagemaker: no Hugging Face training image for transformers {sm.transformers_version} / "
            f"pytorch {sm.pytorch_version} / {sm.py_version} in {region}; nearest supported: {near} "
            "(set transformers_version/pytorch_version/py_version, or --image-uri)"
        ) from None
