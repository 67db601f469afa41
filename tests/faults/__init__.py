"""Fault tests: the database going away and coming back (test_database_outage.py), the Slack Web
API answering 500s and timing out (test_slack_outage.py). The process killed with SIGKILL in the
middle of a weekly-prompt fan-out is tests/replicas/test_two_servers.py: two real servers on one
PostgreSQL, one killed mid fan-out, every channel posted exactly once."""
