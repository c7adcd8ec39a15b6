#!/usr/bin/env bash
# The GPU figures of bench/README.md in one call on a lent GPU machine, which has torch,
# transformers, peft and accelerate but no network (and no bitsandbytes, trl, datasets or
# pydantic-settings). Fetch those wheels here first (.whl is git-ignored; carry it, ~50 MB
# of the 64 MiB a call may carry, bitsandbytes 43 MB of it):
#
#   pip download --dest .whl --no-deps --only-binary=:all: --python-version 3.12 \
#       --platform manylinux_2_24_x86_64 --platform manylinux2014_x86_64 \
#       bitsandbytes==0.50.2 pydantic pydantic-core pydantic-settings annotated-types \
#       typing-inspection typing-extensions python-dotenv \
#       trl==1.16.0 datasets dill multiprocess xxhash liger-kernel
#
# TRL's row also needs pandas and pyarrow>=24, too large to carry with bitsandbytes: where
# the machine lacks them, that row prints the import error and the others still run.
# Then run `bash bench/gpu_check.sh` there: about 6 minutes on an H100 (gpu_qlora.py prints
# the seconds since its start on every line; SECONDS_PER_VARIANT sets each row's timed part).
set -euo pipefail
cd "$(dirname "$0")/.."

if compgen -G ".whl/*.whl" >/dev/null; then
  python -m pip install --quiet --no-index --no-deps .whl/*.whl
fi
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader
PYTHONPATH=. python bench/loss_memory.py
PYTHONPATH=. python bench/gpu_qlora.py --seconds "${SECONDS_PER_VARIANT:-20}"
