"""Sharing a trained model: a Hub push with a generated model card (:mod:`.push`,
:mod:`.card`) and exports for on-premises runtimes, Ollama and llama.cpp (:mod:`.export`)."""
