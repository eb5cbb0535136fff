"""The plugin's own tables. Prefix table names with the department slug."""

from piccolo.columns import Integer, Varchar
from piccolo.table import Table


class Room(Table, tablename="facilities_room"):
    name = Varchar(length=100, unique=True)
    floor = Integer(default=0)
