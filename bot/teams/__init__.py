"""Microsoft Teams: the Bot Framework endpoint, Adaptive Card rendering, weekly prompts and
reflections, built on the Microsoft 365 Agents SDK. The core never imports anything from here."""
