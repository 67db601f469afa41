"""The Safeguarding Partnership's dashboard in a browser: one-time sign-in links sent to admins
in Slack or Teams, sessions kept in the store (so any replica serves them), server-rendered
pages of counts with inline SVG charts and CSV downloads. No platform SDK is imported here."""
