"""The Slack adapter: bolt wiring, Block Kit rendering, modals and App Home."""
