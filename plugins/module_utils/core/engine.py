# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The resource engine: every module is a declared spec run by one of four kinds.

* :class:`Resource` — one object brought to a desired state (``state: present|absent`` where it can be
  deleted): find it, compare only what the user gave, predict the result in check mode, write, report.
* :class:`Info` — read objects with filters; never changes anything.
* :class:`Bulk` — many objects of one :class:`Resource` in one task: one read, only the differing writes,
  run in a bounded pool, partial failures named one by one.
* :class:`Action` — something the API does when asked (start a forecast, reset an incarnation): read the
  state before, decide whether to act, predict in check mode, act, follow up.

A spec declares its model, its key and its calls; it names hooks only where the API really behaves
differently.  Everything else lives here, once: the argument spec, input validation (from the fields'
properties), the comparison, check mode's prediction, the diff with secrets masked, the result, and the
structured failure.  Hooks take a :class:`Context` first.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import MASK, ApiError, InputError
from ansible_collections.apiops.platforms.plugins.module_utils.core import plan
from ansible_collections.apiops.platforms.plugins.module_utils.core.module import ApiModule

# The keys of a result the engine owns: a hook's ``ctx.extra`` can add keys beside them, never replace them.
ENGINE_KEYS = frozenset(("changed", "diff", "failed", "msg", "invocation", "warnings", "plan"))


class _Unreadable:
    """What a find hook answers when the tenant cannot read this resource back (StockTrim answers 404 to all)."""

    def __repr__(self):
        return "UNREADABLE"


UNREADABLE = _Unreadable()


class Step:
    """One object compared, as the single-object and the bulk kind both do it (:meth:`Resource.compare`):
    ``action`` is ``create``, ``update`` or ``none``; ``current`` the object to build on (settled), ``desired`` the
    values given, ``body`` what a write sends, ``predicted`` the object after it; ``unreadable`` when the tenant
    cannot read the object back (it is written with the options given, and reported as changed)."""

    __slots__ = ("action", "current", "desired", "body", "predicted", "unreadable", "fields")

    def __init__(self, action, current, desired, body, predicted, unreadable=False):
        self.action = action
        self.current = current
        self.desired = desired
        self.body = body
        self.predicted = predicted
        self.unreadable = unreadable
        self.fields = []  # the options whose values change (for the plan record: names, never values)


STATE_SPEC = {"state": {"type": "str", "default": "present", "choices": ["present", "absent"]}}


class HandOn:
    """What one hook hands on to a later hook of the same object, by names and types the spec declares
    (``hands_on={"lines": list}``): setting an undeclared name or a value of another type, or reading a name
    no hook has set yet, is a programming error, raised as such, never a silent ``None``."""

    def __init__(self, declared):
        self._declared = dict(declared or {})
        self._values = {}

    def __setitem__(self, name, value):
        if name not in self._declared:
            raise KeyError("a hook handed on %r, which the spec does not declare in hands_on" % (name,))
        if not isinstance(value, self._declared[name]):
            raise TypeError("a hook handed on %r as %s, which the spec declares as %r"
                            % (name, type(value).__name__, self._declared[name]))
        self._values[name] = value

    def __getitem__(self, name):
        if name not in self._values:
            raise LookupError("a hook read %r before the hook that hands it on ran" % (name,))
        return self._values[name]


class Context:
    """What every hook gets: the options, the client (made on first use), check mode, the run's memo (answers
    looked up once per run), what hooks hand on (:class:`HandOn`) and what they add to the result (``extra``)."""

    def __init__(self, module, spec, params=None, memo=None):
        self.module = module
        self.spec = spec
        self.params = module.params if params is None else params
        self.check_mode = module.check_mode
        self.memo = {} if memo is None else memo  # answers a hook looked up once per run (a supplier's stored name)
        self.handed = HandOn(getattr(spec, "hands_on", None))
        self.extra = {}  # return values a hook adds beside the object
        if params is None:  # the run's own context, not an item's: the result's plan record (core/plan.py)
            plan.start(self)  # action none until the kind decides

    def item(self, spec, params):
        """The context of one item of a bulk run: the item's options over the module's, the same module, client and
        memo; its own hand-on, and its own ``extra`` (which the bulk result does not carry)."""
        return Context(self.module, spec, params=params, memo=self.memo)

    @property
    def client(self):
        return self.module.client

    def warn(self, msg):
        self.module.warn(msg)

    def writes_answered(self):
        """How many calls of this run that may write were answered 2xx so far (0 before the client is made)."""
        return getattr(getattr(getattr(self.module, "_client", None), "transport", None), "writes_answered", 0)

    def writing(self, step):
        """Run ``step()``, a part of the run that sends writes; a failure in it is reported with ``changed: true``
        when a write may have taken effect: a write answered 2xx since the step began, or the failed call itself
        may have been acted on (no answer, a timeout, a 5xx after it was sent). A 4xx answer means it was not.
        The engine guarantees it here, for every kind; no hook has to."""
        start = self.writes_answered()
        try:
            return step()
        except ApiError as err:
            changed = err.may_have_acted or self.writes_answered() > start or err.result().get("changed")
            return self.module.fail_error(err, changed=bool(changed), **safe_extra(self.extra))


def mask(model, obj):
    """A copy of ``obj`` with the model's secret (no_log) fields masked, for results and diffs."""
    if obj is None or model is None:
        return obj
    masked = dict(obj)
    for field in model.fields:
        if field.arg.get("no_log") and masked.get(field.name) is not None:
            masked[field.name] = MASK
    return masked


def safe_extra(extra, name=None):
    """What hooks handed on for the result (``ctx.extra``), refused where it would replace a key the engine owns:
    ``changed``, ``diff``, the object, ``msg``... (a programming error, raised as such)."""
    clash = sorted(k for k in extra if k in ENGINE_KEYS or k == name)
    if clash:
        raise ValueError("a hook set %s in ctx.extra: the engine owns %s" % (", ".join(clash), "them" if len(clash) > 1 else "it"))
    return dict(extra)


def exit_with(module, name, changed, before, after, model=None, **extra):
    """The one exit of every kind: the object under ``name`` and, with --diff, before/after, secrets masked."""
    result = safe_extra(extra, name)
    result.update({"changed": changed, name: mask(model, after)})
    if module._diff:
        result["diff"] = {"before": mask(model, before) or {}, "after": mask(model, after) or {}}
    module.exit_json(**result)


def not_empty(params, *names):
    """Refuse a filter given as an empty string: it would read as "no filter" and match everything."""
    for name in names:
        if params.get(name) is not None and not str(params[name]).strip():
            raise InputError("%s must not be empty; leave it out to match every one" % name)


class Spec:
    """What the kinds share: the client class, the options, and how the module is built and run."""

    def __init__(self, name, client, model=None, options=None, check=None, unpredicted=None, identity=None,
                 **module_kwargs):
        self.name = name
        self.client = client
        self.model = model
        self.options = options or {}
        self.check = check  # hook(ctx): refuse input the fields' properties cannot express
        # what a check run cannot predict because the server decides it (the module's check_mode is partial and
        # its documentation says this, checked by a unit test)
        self.unpredicted = unpredicted
        self.identity = identity  # the options that name the object in the plan record (default: the key or keys)
        self.module_kwargs = module_kwargs

    def argument_spec(self):
        spec = self.model.argument_spec() if self.model is not None else {}
        spec.update(self.options)
        return spec

    def module(self):
        return ApiModule(self.client, argument_spec=self.argument_spec(), **self.module_kwargs)

    def run(self, module=None):
        """Build the module (or use ``module``) and run the spec's kind; every ApiError becomes fail_json."""
        module = module or self.module()
        module.run(lambda: self.execute(Context(module, self)))

    def execute(self, ctx):
        raise NotImplementedError


class Resource(Spec):
    """One object by its key.

    ``find(ctx)`` gives the current object, None, or :data:`UNREADABLE`; ``write(ctx, body, current,
    predicted)`` creates or updates and gives the object after the write (None: the prediction stands);
    ``delete(ctx, current)`` removes it (with it the module has ``state``).  Optional hooks, for where the
    API behaves differently: ``settle(ctx, current)`` the object to build on (an open merge request),
    ``desired(ctx, current)`` the desired values, ``same(ctx, desired, current)`` the comparison,
    ``complete(ctx, desired, current)`` the write's body (default: see ``writes``), ``predict(ctx, body, current)`` check
    mode's object (default ``Model.merge``), ``changed(current, after)`` whether the write changed anything.
    ``create_requires`` are options needed only to create; ``missing(ctx)`` refuses a create the options cannot make
    (an object named by an id that is not there); ``describe(ctx)`` names the object in messages.

    ``writes`` declares what the update endpoint does with the fields a body leaves out, so that a write never
    sends back, from an earlier read, a field the user did not give (another writer's change in between, a stock
    count, would be put back):

    * ``"merge"``: the endpoint merges the keys present; an update carries the key and what differs, nothing else;
    * ``"replace"``: the endpoint replaces the object, or what it does is not known; the object is read again just
      before the write, and that fresh read is sent with the changes (the window shrinks to one round trip);
    * None: the spec's ``complete`` hook (or its ``write`` hook) builds what is sent.
    """

    def __init__(self, name, client, model, key, find, write=None, delete=None, listing=None, settle=None,
                 desired=None, same=None, complete=None, predict=None, changed=None, create_requires=(),
                 describe=None, keys=None, writes=None, hands_on=None, missing=None, **kwargs):
        options = dict(STATE_SPEC) if delete is not None else {}
        options.update(kwargs.pop("options", None) or {})
        super(Resource, self).__init__(name, client, model=model, options=options, **kwargs)
        self.key = key
        self.keys = tuple(keys) if keys is not None else (key,)
        self.find = find
        self.write = write
        self.delete = delete
        self.listing = listing  # hook(ctx): every object, for the bulk kind
        self.settle = settle
        self.desired = desired
        self.same = same
        self.complete = complete
        self.predict = predict
        self.changed = changed
        self.create_requires = tuple(create_requires)
        if writes not in (None, "merge", "replace"):
            raise ValueError("writes is merge, replace or None, not %r" % (writes,))
        self.writes = writes
        self.missing = missing  # hook(ctx): refuse to create what the options name (by an id) when it is not there
        self.hands_on = dict(hands_on or {})  # name: type(s) of what one hook hands on to another (HandOn)
        self.describe = describe or (lambda ctx: "%s %r" % (self.title, ctx.params[self.key]))

    @property
    def title(self):
        return self.name.replace("_", " ")

    def validate(self, ctx):
        self.model.validate(ctx.params, keys=self.keys)
        if self.check:
            self.check(ctx)

    def body(self, ctx, desired, current):
        """What a write sends: the options given for a create; for an update, as ``writes`` declares."""
        if self.complete:
            return self.complete(ctx, desired, current)
        if current is None:
            return dict(desired)
        whole = self.model.merge(current, desired)
        if self.writes != "merge":
            return whole
        body = dict((name, whole.get(name)) for name in self.keys if whole.get(name) is not None)
        body.update((name, whole[name]) for name in self.model.differences(desired, current))
        return body

    def fresh(self, ctx, step, now=None):
        """``(body, current)`` of the write of ``step``: for an update of a ``replace`` endpoint, the object read again
        just before the write (``find``, or ``now`` when the caller read it already), with the changes; else, or when
        the object is gone or cannot be read, the step's own."""
        if self.writes != "replace" or step.current is None or self.complete:
            return step.body, step.current
        now = self.find(ctx) if now is None else now
        if now is None or now is UNREADABLE:
            return step.body, step.current
        if self.settle:
            now = self.settle(ctx, now)
        return self.body(ctx, step.desired, now), now

    def prediction(self, ctx, body, current):
        return self.predict(ctx, body, current) if self.predict else self.model.merge(current, body)

    def compare(self, ctx, found):
        """The one comparison of both kinds: ``found`` (the object, None, or UNREADABLE) against the options of
        ``ctx``, through the spec's hooks (settle, desired, same, create_requires, body, predict): a :class:`Step`."""
        unreadable = found is UNREADABLE
        current = None if unreadable else found
        if current is not None and self.settle:
            current = self.settle(ctx, current)
        desired = self.desired(ctx, current) if self.desired else self.model.desired(ctx.params)
        if unreadable:
            ctx.warn("the %s could not be read back from the API on this tenant, so it could not be compared: it %s "
                     "with the options given only, and reported as changed; give every field you want kept on every "
                     "run, as StockTrim may clear the ones left out"
                     % (self.title, "would be written" if ctx.check_mode else "was written"))
        elif current is not None and (self.same(ctx, desired, current) if self.same
                                      else not self.model.differences(desired, current)):
            return Step("none", current, desired, None, current)
        if current is None and not unreadable:
            if self.missing:
                self.missing(ctx)
            self.require_for_create(ctx)
        body = self.body(ctx, desired, current)
        step = Step("create" if current is None and not unreadable else "update", current, desired, body,
                    self.prediction(ctx, body, current), unreadable)
        step.fields = sorted(desired) if unreadable else self.model.differences(desired, current)
        return step

    def execute(self, ctx):
        self.validate(ctx)
        found = self.find(ctx)
        done = self.exit_function(ctx)
        if ctx.params.get("state") == "absent":
            current = None if found is UNREADABLE else found
            if current is None:
                return done(False, None, None)
            plan.mark(ctx, "delete")
            if not ctx.check_mode:
                ctx.writing(lambda: self.delete(ctx, current))
            return done(True, current, None)
        step = self.compare(ctx, found)
        if step.action == "none":
            return done(False, step.current, step.current)
        plan.mark(ctx, step.action, step.fields)
        if ctx.check_mode:
            return done(True, step.current, step.predicted)
        body, current = self.fresh(ctx, step)
        after = ctx.writing(lambda: self.write(ctx, body, current, step.predicted))
        after = step.predicted if after is None else after
        return done(self.changed(current, after) if self.changed else True, current, after)

    def require_for_create(self, ctx):
        missing = [name for name in self.create_requires if not ctx.params.get(name)]
        if missing:
            verb = "are" if len(missing) > 1 else "is"
            raise InputError("%s %s required to create %s" % (" and ".join(missing), verb, self.describe(ctx)))

    def exit_function(self, ctx):
        return lambda changed, before, after: exit_with(ctx.module, self.name, changed, before, after, self.model,
                                                        **safe_extra(ctx.extra, self.name))


class Info(Spec):
    """Read-only: ``read(ctx)`` gives the list returned under ``name`` (the plural), an empty list for no match.

    ``filters`` is an argument spec of the filter options, where a string filter given empty is refused (it
    would match everything), or a model (a query's fields, validated by their properties, sent as given).
    """

    def __init__(self, name, client, read, filters=None, **kwargs):
        model = filters if hasattr(filters, "argument_spec") else None
        options = dict(kwargs.pop("options", None) or {})
        self.filters = [] if model is not None else [k for k, v in (filters or {}).items() if v.get("type") == "str"]
        if model is None:
            options = dict(filters or {}, **options)
        super(Info, self).__init__(name, client, model=model, options=options, **kwargs)
        self.read = read

    def execute(self, ctx):
        not_empty(ctx.params, *self.filters)
        if self.model is not None:
            self.model.validate(ctx.params)
        if self.check:
            self.check(ctx)
        found = self.read(ctx)
        result = safe_extra(ctx.extra, self.name)
        result[self.name] = found
        ctx.module.exit_json(changed=False, **result)


class Action(Spec):
    """Something the API does when asked; the object read before and after is returned under ``name``.

    ``read(ctx)`` the state before; ``needed(ctx, before)`` whether to act (default: always); ``predict(ctx,
    before)`` check mode's state after (default: the state before); ``act(ctx, before)`` asks the API and
    gives ``(changed, answer)``; ``follow(ctx, before, answer)`` the state after (a wait, a read).  Once
    ``act`` has sent its call, any failure reports ``changed``: something was started.
    """

    def __init__(self, name, client, read, act, follow=None, needed=None, predict=None, **kwargs):
        super(Action, self).__init__(name, client, **kwargs)
        self.read = read
        self.act = act
        self.follow = follow
        self.needed = needed
        self.predict = predict

    def execute(self, ctx):
        if self.check:
            self.check(ctx)
        before = self.read(ctx)

        def done(changed, after):
            exit_with(ctx.module, self.name, changed, before, after, self.model, **safe_extra(ctx.extra, self.name))

        if self.needed and not self.needed(ctx, before):
            return done(False, before)
        plan.mark(ctx, "run")
        if ctx.check_mode:
            return done(True, self.predict(ctx, before) if self.predict else before)
        changed, answer = ctx.writing(lambda: self.act(ctx, before))
        if not changed:
            return done(False, answer)
        try:
            after = self.follow(ctx, before, answer) if self.follow else answer
        except ApiError as err:
            extra = safe_extra(ctx.extra, self.name)
            if getattr(err, "partial", None) is not None:
                extra["last_%s" % self.name] = err.partial
            return ctx.module.fail_error(err, changed=True, **extra)
        return done(True, after)
