# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The bulk kind: many objects of one :class:`~engine.Resource` in one task.

One read of every object (the resource's ``listing`` hook), a plan that compares each item given with the
current object exactly as the single-object module does, and only the writes that differ, run in a bounded
pool of ``workers`` or, where the API takes an array, in batches (a ``batch`` hook).  With ``purge``, the
objects not given (and not excluded by a pattern) are deleted.  A partial failure names every item that
failed, with its reason, and what was done.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fnmatch

from ansible_collections.apiops.platforms.plugins.module_utils.core import plan
from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import WORKERS_SPEC, check_workers, map_concurrently
from ansible_collections.apiops.platforms.plugins.module_utils.core.engine import STATE_SPEC, Spec, Step
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError, InputError
from ansible_collections.apiops.platforms.plugins.module_utils.core.items import compact, identity, validate_items


class _named:
    """Prefix an InputError raised inside with the item it concerns: ``products[3]: ...``."""

    def __init__(self, option, index):
        self.where = "%s[%d]" % (option, index)

    def __enter__(self):
        return self

    def __exit__(self, kind, err, trace):
        if isinstance(err, InputError) and not err.msg.startswith(self.where):
            raise InputError("%s: %s" % (self.where, err.msg))
        return False


def _plain(err):
    """``err`` with only the fields every failure carries (a subclass may add the object it concerns: one of many
    items is named under ``failures`` instead)."""
    if type(err).result is ApiError.result:
        return err
    plain = ApiError(err.msg, status=err.status, method=err.method, url=err.url, body=err.body, attempts=err.attempts)
    plain.kind = err.kind
    return plain


PURGE_SPEC = {"purge": {"type": "bool", "default": False}, "purge_exclude": {"type": "list", "elements": "str"}}


class Bulk(Spec):
    """``name`` (the plural, also the list option) of ``resource`` objects, with ``workers``, and ``state`` where
    the resource can be deleted.

    An item is named by the resource's key, or by its keys joined by ``/`` (:func:`identity`).  ``purge=True``
    adds the options ``purge`` and ``purge_exclude``: with them the current objects not given, whose name matches
    none of the glob patterns, are deleted (after the writes, and only if they all succeeded).
    ``batch(ctx, bodies, predicted)`` writes many bodies in one call, where the API takes an array (at most
    ``batch_size`` a call), and gives the object after the write of each (None: the prediction stands); a batch
    the API refuses as invalid (``validation``) is sent again one item a call (the writes are upserts), so the
    others are written and each refused item is named with its reason. Any other failure, a rate limit included
    (the server refused the whole call, not one item), fails the batch's items without another call.  Without it
    every write is one call of the resource's ``write``.

    Where the resource's objects are not named by plain keys, or an item takes more than the model's options:

    * ``item_options``: the resource's options (beyond the model's) an item may carry (``state`` among them makes
      the state per item);
    * ``defaults``: the item options that the same option at the top level gives a default for (an item's own value
      wins); ``merged``: the dict options merged key by key, the item's keys over the top level's;
    * ``names(values)``: every name an item or a listed object can be found by (an item is found by its first);
      ``label(values)``: how an item is reported in ``created``, ``updated``... (default: its name);
    * ``detail(ctx, obj)``: a listed object with what the comparison needs beside the listing (read only for the
      items to compare, concurrently);
    * ``serial(ctx, current)``: the writes with the same answer run one after the other (never two changes to one
      repository at once), the others side by side;
    * ``summary(ctx, rows)``: result keys made from the rows ``(ctx, step, object after)`` (the merge requests).

    A comparison that fails for one item (a conflict) fails that item only: the others are written, and the task
    fails at the end naming each item that failed.
    """

    def __init__(self, name, resource, purge=False, batch=None, batch_size=100, item_options=(), defaults=(),
                 merged=(), names=None, label=None, detail=None, serial=None, summary=None, **kwargs):
        options = {name: {"type": "list", "elements": "dict", "required": True}}
        if resource.delete is not None:
            options.update(STATE_SPEC)
        options.update(WORKERS_SPEC)
        if purge:
            options.update(PURGE_SPEC)
        whole = resource.argument_spec()
        for option in defaults:
            options[option] = dict((k, v) for k, v in whole[option].items() if k != "required")
        options.update(kwargs.pop("options", None) or {})
        super(Bulk, self).__init__(name, resource.client, options=options, check=self.check_options, **kwargs)
        self.resource = resource
        self.purge = purge
        self.batch = batch
        self.batch_size = batch_size
        self.item_options = tuple(item_options)
        self.defaults = tuple(defaults)
        self.merged = tuple(merged)
        self.names = names or (lambda values: [identity(values, resource.keys)])
        self.label = label or (lambda values: self.names(values)[0])
        self.detail = detail
        self.serial = serial
        self.summary = summary
        self.item_spec = None
        if self.item_options or self.defaults:
            spec = dict((option, whole[option]) for option in list(resource.model.argument_spec()) + list(item_options))
            self.item_spec = dict((option, dict((k, v) for k, v in arg.items()
                                                if option not in self.defaults or k not in ("default", "required")))
                                  for option, arg in spec.items())

    def check_options(self, ctx):
        p = ctx.params
        check_workers(p)
        if not self.purge:
            return
        if p.get("purge_exclude") is not None and not p.get("purge"):
            raise InputError("purge_exclude applies only with purge=true")
        if p.get("purge") and p.get("state") == "absent":
            raise InputError("purge applies only with state=present (with state=absent, only the %s given are deleted)"
                             % self.name)
        for index, pattern in enumerate(p.get("purge_exclude") or []):
            if not pattern.strip():
                raise InputError("purge_exclude[%d] must not be empty" % index)

    def purged(self, ctx, current, given):
        """The current objects that ``purge`` deletes: not given, their name matching no ``purge_exclude``."""
        if not (self.purge and ctx.params.get("purge")):
            return []
        patterns = ctx.params.get("purge_exclude") or []
        found = []
        for obj in current:
            name = self.names(obj)[0]
            excluded = any(fnmatch.fnmatchcase(str(name), pattern) for pattern in patterns)
            if name is not None and name not in given and not excluded:
                found.append(obj)
        return found

    def item_params(self, top, item):
        """An item's options over the module's: the top-level defaults where the item gives none, the merged
        dicts key by key."""
        params = dict(top)
        params.pop(self.name, None)
        for option, value in item.items():
            if value is not None or option not in self.defaults:
                params[option] = value
        for option in self.merged:
            if top.get(option) is not None and item.get(option) is not None:
                params[option] = dict(top[option], **item[option])
        return params

    def contexts(self, ctx, items):
        """One context per item (:meth:`Context.item`), each checked by the resource's ``check`` hook as the single
        module checks its options; a refusal names the item's index."""
        contexts = [ctx.item(self.resource, self.item_params(ctx.params, params)) for params in items]
        seen = {}
        for index, item_ctx in enumerate(contexts):
            with _named(self.name, index):
                if self.resource.check:
                    self.resource.check(item_ctx)
                if self.item_spec is None:
                    continue  # validate_items named each one
                name = self.names(item_ctx.params)[0]
                if name in seen:
                    raise InputError("%s is already given in %s[%d]"
                                     % (self.key_text(self.label(item_ctx.params)), self.name, seen[name]))
                seen[name] = index
        return contexts

    def by_name(self, objects):
        """The objects by every name they can be found by (:attr:`names`), the first object keeping a name."""
        index = {}
        for obj in objects:
            for name in self.names(obj):
                index.setdefault(name, obj)
        return index

    def found(self, item_ctx, current):
        """The current object an item names, or None."""
        for name in self.names(item_ctx.params):
            if name in current:
                return current[name]
        return None

    def plan(self, ctx, contexts, current):
        """Every item compared with its current object by the resource's own comparison
        (:meth:`Resource.compare`, its hooks included: settle, desired, same, create_requires, the body and the
        prediction); the steps in the order given, a failed comparison as its error.  An item to delete is a
        ``delete`` step (``none`` when it is not there).  Where the resource settles an object or the bulk reads
        details (a read per object), the items are compared concurrently, within ``workers``."""
        res = self.resource

        def compare(index):
            item_ctx = contexts[index]
            found = self.found(item_ctx, current)
            if item_ctx.params.get("state") == "absent":
                return Step("delete" if found is not None else "none", found, None, None, None)
            with _named(self.name, index):
                try:
                    if found is not None and self.detail:
                        found = self.detail(item_ctx, found)
                    return res.compare(item_ctx, found)
                except InputError:
                    raise
                except ApiError as err:
                    return err

        indexes = range(len(contexts))
        if res.settle or self.detail:
            return list(map_concurrently(compare, indexes, ctx.params["workers"]))
        return [compare(index) for index in indexes]

    def execute(self, ctx):
        self.check(ctx)
        ctx.writes_before = ctx.writes_answered()
        res = self.resource
        items = validate_items(res.model, ctx.params[self.name], self.name, res.keys, self.item_spec,
                               (lambda params: None) if self.item_spec is not None else None)
        contexts = self.contexts(ctx, items)
        listed = list(res.listing(ctx))
        current = self.by_name(listed)
        steps = self.plan(ctx, contexts, current)
        ok = [i for i, step in enumerate(steps) if not isinstance(step, ApiError)]
        labels = [self.label(step.predicted or step.current or c.params) if not isinstance(step, ApiError)
                  else self.label(self.found(c, current) or c.params) for c, step in zip(contexts, steps)]
        failures = [(i, step) for i, step in enumerate(steps) if isinstance(step, ApiError)]
        objects = dict((i, steps[i].predicted) for i in ok if steps[i].action != "delete"
                       and not (steps[i].action == "none" and contexts[i].params.get("state") == "absent"))
        todo = [i for i in ok if steps[i].action in ("create", "update", "delete")]
        given = set(name for c in contexts for name in self.names(c.params)[:1])
        given.update(name for i in ok if steps[i].current is not None for name in self.names(steps[i].current))
        purged = self.purged(ctx, listed, given)
        self.mark(ctx, contexts, steps, labels, purged)  # the result's plan record, one entry per item
        acted = False
        if todo and not ctx.check_mode:
            outcomes = self.write_all(ctx, [contexts[i] for i in todo], [steps[i] for i in todo])
            for index, (answer, err) in zip(todo, outcomes):
                if err is not None:
                    failures.append((index, err))
                    objects.pop(index, None)
                else:
                    acted = True
                    if answer is not None and index in objects:
                        objects[index] = answer
        failed = set(i for i, _err in failures)
        done = [i for i in ok if i not in failed]
        result = dict((action, [labels[i] for i in done if steps[i].action == verb])
                      for action, verb in (("created", "create"), ("updated", "update"), ("unchanged", "none"),
                                           ("deleted", "delete")))
        deleted = [self.label(obj) for obj in purged]
        if purged and failures:  # purge runs only after every item succeeded: the plan record deletes nothing
            self.mark(ctx, contexts, steps, labels, [])
        if purged and not failures:
            gone = deleted
            if not ctx.check_mode:
                outcomes = self.run_all(ctx, lambda obj: res.delete(ctx, obj), purged)
                failures += [(label, err) for label, (_answer, err) in zip(deleted, outcomes) if err is not None]
                gone = [label for label, (_answer, err) in zip(deleted, outcomes) if err is None]
                acted = acted or bool(gone)
            result["deleted"] += gone
        keys = [self.key_text(label) for label in labels]
        written = [i for i in todo if i not in failed]
        diff = {"before": dict((keys[i], compact(steps[i].current)) for i in written if steps[i].current is not None),
                "after": dict((keys[i], compact(objects[i])) for i in written if i in objects)}
        if not failures:
            diff["before"].update((self.key_text(label), compact(obj)) for label, obj in zip(deleted, purged))
        if self.summary:
            result.update(self.summary(ctx, [(contexts[i], steps[i], objects.get(i)) for i in done]))
        result[self.name] = [compact(objects[i]) for i in sorted(objects)]
        if failures:
            named = [(labels[item] if isinstance(item, int) else item, err) for item, err in failures]
            deletes = all(not isinstance(item, int) or (not isinstance(steps[item], ApiError) and steps[item].action == "delete")
                          for item, _err in failures)
            return self.fail_items(ctx, named, len(steps) + len(purged), result, acted, "delete" if deletes else "write")
        return self.exit(ctx, bool(todo or purged), diff, **result)

    def mark(self, ctx, contexts, steps, labels, purged):
        """The plan record's entries: each item's key, what the run does to it and, for an update, the options that
        change (a comparison that failed: nothing, the failure is marked when the task ends); then a delete for each
        object ``purge`` deletes."""
        names, spec = plan.identity_names(self), self.resource.argument_spec()
        entries = []
        for item_ctx, step, label in zip(contexts, steps, labels):
            done = not isinstance(step, ApiError)
            entries.append((plan.key_of(names, item_ctx.params, spec), step.action if done else "none",
                            step.fields if done and step.action == "update" else [], label))
        entries.extend((plan.key_of(names, obj, spec), "delete", [], self.label(obj)) for obj in purged)
        plan.mark_items(ctx, entries)

    @staticmethod
    def key_text(label):
        """A name as a key of the diff: the name, or the values of a label that is a dict, joined by ``:`` (a label of
        one key: the key and its value, ``id 7``)."""
        if isinstance(label, dict) and len(label) == 1:
            return "%s %s" % next(iter(label.items()))
        return ":".join(str(v) for v in label.values()) if isinstance(label, dict) else label

    def exit(self, ctx, changed, diff, **result):
        """The result, and the arguments echoed with the list of items replaced by its length (a thousand items
        echoed back cost as much as the work)."""
        if ctx.module._diff:
            result["diff"] = diff
        ctx.module.exit_json(changed=changed, invocation=self.invocation(ctx), **result)

    def invocation(self, ctx):
        """``invocation`` as Ansible echoes it, but the item list as its length; secrets are masked by
        ``exit_json`` and ``fail_json`` in it as in the rest of the result."""
        args = dict(ctx.module.params)
        if isinstance(args.get(self.name), list):
            args[self.name] = len(args[self.name])
        return {"module_args": args}

    def write_all(self, ctx, contexts, steps):
        """The writes and deletes of ``steps`` (each with its item's context), one call each in the pool (one after
        the other where ``serial`` gives them the same answer), or in batches; ``(answer, error)`` of each, in order."""
        res = self.resource
        fresh = [None] * len(steps)
        if res.writes == "replace" and any(step.current is not None and step.action == "update" for step in steps):
            # the objects to update are read again just before the writes, and those fresh reads are sent with the
            # changes: never the fields of the read at the start, which another writer may have changed since
            now = self.by_name(res.listing(ctx))
            fresh = [self.found(c, now) for c in contexts]
        writes = [res.fresh(c, step, now) if now is not None and step.action == "update" else (step.body, step.current)
                  for c, step, now in zip(contexts, steps, fresh)]

        def one(i):
            if steps[i].action == "delete":
                return res.delete(contexts[i], steps[i].current)
            return res.write(contexts[i], writes[i][0], writes[i][1], steps[i].predicted)

        if self.batch is None or any(step.action == "delete" for step in steps):
            groups = None
            if self.serial is not None:
                groups = {}
                for i in range(len(steps)):
                    groups.setdefault(self.serial(contexts[i], steps[i].current), []).append(i)
            return self.run_all(ctx, one, range(len(steps)), groups)

        def send(indexes):
            try:
                answers = list(self.batch(ctx, [writes[i][0] for i in indexes], [steps[i].predicted for i in indexes]))
                return [(answer, None) for answer in answers + [None] * (len(indexes) - len(answers))]
            except ApiError as err:
                if err.kind != "validation" or len(indexes) == 1:
                    return [(None, err)] * len(indexes)
                return [send([i])[0] for i in indexes]  # find the items the API refused, write the others

        chunks = [list(range(start, min(start + self.batch_size, len(steps))))
                  for start in range(0, len(steps), self.batch_size)]
        return [outcome for chunk in map_concurrently(send, chunks, ctx.params["workers"]) for outcome in chunk]

    def run_all(self, ctx, func, items, groups=None):
        """``(answer, error)`` of ``func`` over ``items`` in the pool; ``groups`` (lists of indexes) each run one
        after the other, side by side with the other groups."""
        items = list(items)

        def guarded(item):
            try:
                return func(item), None
            except ApiError as err:
                return None, err

        if groups is None:
            return map_concurrently(guarded, items, ctx.params["workers"])
        outcomes = [None] * len(items)
        lists = list(groups.values())
        for indexes, answers in zip(lists, map_concurrently(lambda g: [guarded(items[i]) for i in g], lists,
                                                            ctx.params["workers"])):
            for index, answer in zip(indexes, answers):
                outcomes[index] = answer
        return outcomes

    def fail_items(self, ctx, failed, total, result, acted=False, what="write"):
        """Fail naming each failed item with its reason, beside what was done (``result``: the names of the items
        done and their objects), and with ``changed: true`` when any write may have taken effect (one succeeded,
        an earlier step wrote, or a failed one may have been acted on)."""
        changed = (acted or any(err.may_have_acted for _name, err in failed)
                   or ctx.writes_answered() > getattr(ctx, "writes_before", 0))
        failed_names = [name for name, _err in failed]
        first = failed[0][1]
        failures = [{"item": name, "error": err.kind, "status": err.status, "msg": err.msg} for name, err in failed]
        first = _plain(first)  # the fields every failure carries, not what an error adds for one object
        ctx.module.fail_error(first, msg="%d of %d %s %ss failed (%s); the first: %s"
                              % (len(failed), total, self.resource.title, what,
                                 ", ".join(str(self.key_text(name)) for name in failed_names), first.msg),
                              failures=failures, invocation=self.invocation(ctx), changed=bool(changed),
                              **dict(result, **{"failed_%s" % self.name: failed_names}))
