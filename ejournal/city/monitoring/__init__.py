"""Monitoring of the rollout (issue 6, item 5): indicators of the monthly report by district and school over months."""
