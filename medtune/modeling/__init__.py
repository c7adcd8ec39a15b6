"""Models: load (quantization, device), pull from the hub, build a tiny offline Llama, merge.

Submodules import torch/transformers only inside their functions; import what you need:
``from medtune.modeling.tiny import build_tiny_model``.
"""
