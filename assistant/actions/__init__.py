"""Custom actions of the Dazu disability services assistant (rasa-sdk 3.6).

The action server calls the portal's JSON API only (`portal_client`), never its database.
"""
