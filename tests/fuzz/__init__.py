"""Property-based fuzzing (hypothesis) of every entry point: the engine and conversation, signed
and forged Slack payloads through the running app, and content YAML. See conftest.py for the
budget (SCRBOT_FUZZ_EXAMPLES, --fuzz-long)."""
