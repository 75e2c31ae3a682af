"""Roles: who holds which post where (titles, institution chains, former posts, bylines, later references)."""
