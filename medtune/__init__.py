"""medtune: fine-tune, evaluate and analyse medical Q&A LLMs."""

__version__ = "0.1.0"
