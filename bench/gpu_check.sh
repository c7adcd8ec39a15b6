#!/usr/bin/env bash
# The GPU figures of bench/README.md in one call on a lent GPU machine, which has torch,
# transformers, peft and accelerate but no network. Fetch the other wheels here first
# (.whl is git-ignored; carry it):
#
#   pip download --dest .whl --no-deps --only-binary=:all: --python-version 3.12 \
#       --platform manylinux_2_24_x86_64 --platform manylinux2014_x86_64 \
#       bitsandbytes==0.50.2 pydantic pydantic-core pydantic-settings annotated-types \
#       typing-inspection typing-extensions python-dotenv
#
# then run `bash bench/gpu_check.sh` there (about 4 minutes on an H100).
set -euo pipefail
cd "$(dirname "$0")/.."

if compgen -G ".whl/*.whl" >/dev/null; then
  python -m pip install --quiet --no-index --no-deps .whl/*.whl
fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
python -c "import torch, transformers, peft, bitsandbytes; print('torch', torch.__version__, \
'transformers', transformers.__version__, 'peft', peft.__version__, 'bitsandbytes', bitsandbytes.__version__)"
PYTHONPATH=. python bench/loss_memory.py
PYTHONPATH=. python bench/gpu_qlora.py --seconds "${SECONDS_PER_VARIANT:-45}"
