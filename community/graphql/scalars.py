import graphene


class Upload(graphene.Scalar):
    """A file sent with the GraphQL multipart request spec (operations, map, then the files)."""

    @staticmethod
    def serialize(value):
        return None

    @staticmethod
    def parse_value(value):
        return value

    @staticmethod
    def parse_literal(node, _variables=None):
        return None
