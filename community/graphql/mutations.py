"""The one shape every mutation has: an `input`, a payload, and `errors` for expected failures.

Who may call a mutation is declared on it (`access = SIGNED_IN` or `BRAND_STAFF`) and checked here
before `perform`; `perform` receives plain values (enum members unwrapped), as services expect.

A write a client may retry is made idempotent here, once for all: its input type mixes in
`IdempotentInput` (the optional `idempotencyKey`) and the mutation names the payload field holding
what it created (`idempotent_result = "message"`). The same key from the same user for the same
mutation then returns the first result and writes nothing (`community.kernel.idempotency`).

Most mutations are one service call, declared rather than written out: `input_type` (the mutation
takes `input: <input_type>!`), `service` (called with `user=` and every field of the input, the
global IDs named in `decode` decoded), and the payload gets what it returns in its one field.
"""

from __future__ import annotations

import graphene
from graphene.utils.str_converters import to_camel_case

from community.graphql import ids
from community.graphql.enums import plain
from community.graphql.errors import UserError, user_errors
from community.kernel import idempotency
from community.kernel.access import require_brand_staff, require_user
from community.kernel.errors import ServiceError

ANYONE = "anyone"
SIGNED_IN = "signed_in"
BRAND_STAFF = "brand_staff"

_CHECKS = {ANYONE: lambda user: None, SIGNED_IN: require_user, BRAND_STAFF: require_brand_staff}


class Payload(graphene.ObjectType):
    """Base of every payload type: `errors` is never null."""

    class Meta:
        abstract = True

    errors = graphene.List(graphene.NonNull(UserError), required=True)

    @staticmethod
    def resolve_errors(root, info):
        return getattr(root, "errors", None) or []


def payload(name: str, **objects) -> type[Payload]:
    """The payload of a mutation that returns objects: `field=Type` each, null when the mutation refused."""
    return type(name, (Payload,), {field: graphene.Field(object_type) for field, object_type in objects.items()})


IDEMPOTENCY_KEY = "idempotency_key"


class IdempotentInput:
    """Mixed into the input type of a write a client may retry (with `idempotent_result` on the mutation)."""

    idempotency_key = graphene.String(
        description=(
            "A key the client generates for this write (a UUID, at most 100 characters) and sends again"
            " when it retries it: the same key returns the first result and writes nothing."
        )
    )


def _without_key(value):
    if isinstance(value, dict):
        return {name: item for name, item in value.items() if name != IDEMPOTENCY_KEY}
    return value


class ServiceMutation(graphene.Mutation):
    """Checks `access`, then calls `perform`; a `ServiceError` becomes the payload's `errors`."""

    class Meta:
        abstract = True

    access = ANYONE
    # The payload field holding what the mutation created, for a mutation a client may retry with an
    # idempotency key (its input mixes in `IdempotentInput`); None: not idempotent.
    idempotent_result: str | None = None
    # The declared shape (see the module's docstring): the input type, the service the default
    # `perform` calls, and the input fields that are global IDs, with the type each must name.
    input_type: type[graphene.InputObjectType] | None = None
    service = None
    decode: dict[str, str] = {}
    # True for an edit: a field the client left out is not passed, so the service leaves it as it is.
    partial = False

    @classmethod
    def __init_subclass_with_meta__(cls, arguments=None, **options):
        if arguments is None and cls.input_type is not None:
            arguments = {"input": cls.input_type(required=True)}
        super().__init_subclass_with_meta__(arguments=arguments, **options)

    @classmethod
    def mutate(cls, root, info, **arguments):
        try:
            _CHECKS[cls.access](info.context.user)
            arguments = {name: plain(value) for name, value in arguments.items()}
            key = cls._idempotency_key(arguments)
            if key is None:
                return cls.perform(info, **arguments)
            return idempotency.run_once(
                user=info.context.user,
                operation=cls.__name__,
                key=key,
                fingerprint=idempotency.fingerprint({name: _without_key(value) for name, value in arguments.items()}),
                perform=lambda: cls.perform(info, **arguments),
                result_of=lambda payload: getattr(payload, cls.idempotent_result, None),
                replay=lambda produced: cls.replayed_payload(info, produced),
            )
        except ServiceError as error:
            return cls.error_payload(info, user_errors(error))

    @classmethod
    def _idempotency_key(cls, arguments: dict) -> str | None:
        if cls.idempotent_result is None:
            return None
        given = arguments.get("input")
        return idempotency.clean_key(given.get(IDEMPOTENCY_KEY) if isinstance(given, dict) else None)

    @classmethod
    def replayed_payload(cls, info, produced):
        """The answer to a retried request: the payload of the first, from what it created."""
        return cls._meta.output(**{cls.idempotent_result: produced})

    @classmethod
    def error_payload(cls, info, errors):
        """The payload when the service refused; override where non-null fields need a value."""
        return cls._meta.output(errors=errors)

    @classmethod
    def perform(cls, info, input):
        """The declared shape: the service's result in the payload's one field."""
        result = cls.service(user=info.context.user, **cls.service_arguments(input))
        return cls._meta.output(**{cls.payload_field(): result})

    @classmethod
    def service_arguments(cls, input) -> dict:
        """Every field of the input as the service's keyword arguments, the IDs in `decode` decoded.

        A field the client left out is None; an optional ID left empty is None, a required one is decoded
        (so an empty one is INVALID); the idempotency key is the base's business, not the service's.
        """
        arguments = {}
        for name, field in cls.input_type._meta.fields.items():
            if name == IDEMPOTENCY_KEY or (cls.partial and name not in input):
                continue
            value = getattr(input, name, None)
            if name in cls.decode and (value or isinstance(field.type, graphene.NonNull)):
                value = ids.decode(value, cls.decode[name], field=to_camel_case(name))
            elif name in cls.decode:
                value = None
            arguments[name] = value
        return arguments

    @classmethod
    def payload_field(cls) -> str:
        """The payload's field besides `errors`: where the declared shape puts the service's result."""
        (name,) = (name for name in cls._meta.output._meta.fields if name != "errors")
        return name


def provided(input_object, name: str, default=None):
    """The value of an optional input field, telling 'not given' apart from null when it matters."""
    return getattr(input_object, name, default) if input_object is not None else default
