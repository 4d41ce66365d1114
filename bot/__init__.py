"""samverkan: a Matrix bot for regional crisis-management collaboration."""
