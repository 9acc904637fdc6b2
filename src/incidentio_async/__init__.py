"""Asyncio client for the incident.io API."""
