"""The model: FollowTheMoney schemata for entities, own records for what FtM lacks."""
