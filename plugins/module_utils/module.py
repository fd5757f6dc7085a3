# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base module class: options, the client, check and diff mode, the result, and failures.

A resource module states its :class:`~models.Model`, how to find the current object and how to write one;
:meth:`ApiModule.converge` does the rest the same way for every resource:

* compare only the options the user gave (``Model.differences``);
* in check mode send no write and report the object the write would produce (``Model.merge``);
* with ``--diff`` return ``before``/``after`` of the resource with secret fields masked;
* turn any :class:`~errors.ApiError` into one ``fail_json`` with the contract's structured fields.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.apiops.platforms.plugins.module_utils.errors import MASK, ApiError, error_result
from ansible_collections.apiops.platforms.plugins.module_utils.transport import (
    HAS_REQUESTS,
    HAS_TENACITY,
    REQUESTS_IMPORT_ERROR,
    TENACITY_IMPORT_ERROR,
)


class ApiModule(AnsibleModule):
    """An AnsibleModule bound to one API client class (Foxops or StockTrim)."""

    def __init__(self, client_class, argument_spec=None, model=None, **kwargs):
        spec = {}
        if model is not None:
            spec.update(model.argument_spec())
        spec.update(argument_spec or {})
        spec.update(copy.deepcopy(client_class.connection_spec))
        kwargs.setdefault("supports_check_mode", True)
        super(ApiModule, self).__init__(argument_spec=spec, **kwargs)
        self.client_class = client_class
        self.model = model
        self._client = None
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        if not HAS_TENACITY:
            self.fail_json(msg=missing_required_lib("tenacity"), exception=TENACITY_IMPORT_ERROR)

    # -- the client -------------------------------------------------------------------------------
    @property
    def client(self):
        if self._client is None:
            try:
                self._client = self.client_class.from_options(self.params, warn=self.warn)
            except ApiError as err:
                self.fail_error(err)
        return self._client

    def run(self, main):
        """Run ``main()``; any ApiError it raises becomes a structured failure."""
        try:
            main()
        except ApiError as err:
            self.fail_error(err)

    def fail_error(self, err, msg=None, **extra):
        result = error_result(err, msg)
        result.update(extra)
        self.fail_json(**result)

    # -- results ----------------------------------------------------------------------------------
    def mask(self, obj):
        """A copy of ``obj`` with the model's no_log fields masked, for diffs and results."""
        if obj is None or self.model is None:
            return obj
        masked = dict(obj)
        for field in self.model.fields:
            if field.arg.get("no_log") and masked.get(field.name) is not None:
                masked[field.name] = MASK
        return masked

    def exit_resource(self, name, changed, before, after, **extra):
        """Exit with the resource under ``name``, and before/after with --diff."""
        result = {"changed": changed, name: self.mask(after)}
        if self._diff:
            result["diff"] = {"before": self.mask(before) or {}, "after": self.mask(after) or {}}
        result.update(extra)
        self.exit_json(**result)

    # -- the converge loop shared by resource modules ---------------------------------------------
    def converge(self, name, find, write, delete=None, state="present", predict=None, unreadable=False):
        """Bring one resource to the desired state and exit.

        ``find()`` returns the current object (a ``Model.from_api`` dict) or None; ``write(desired,
        current)`` creates or updates and returns the object after the write; ``delete(current)`` removes
        it.  ``predict(desired, current)`` overrides the check-mode prediction (default ``Model.merge``).
        ``unreadable=True`` means the API cannot read this resource back on this tenant: the module
        upserts with the options given only (there is no current object to complete them from), warns that it
        could not compare and that fields left out may be cleared, and reports changed.
        """
        desired = self.model.desired(self.params)
        current = None if unreadable else find()
        if state == "absent":
            if current is None:
                self.exit_resource(name, False, None, None)
            if not self.check_mode:
                delete(current)
            self.exit_resource(name, True, current, None)
        if unreadable:
            self.warn("the %s could not be read back from the API on this tenant, so it could not be compared: it %s "
                      "with the options given only, and reported as changed; give every field you want kept on every "
                      "run, as StockTrim may clear the ones left out"
                      % (name.replace("_", " "), "would be written" if self.check_mode else "was written"))
        elif current is not None and not self.model.differences(desired, current):
            self.exit_resource(name, False, current, current)
        predicted = predict(desired, current) if predict else self.model.merge(current, desired)
        if self.check_mode:
            self.exit_resource(name, True, current, predicted)
        after = write(desired, current)
        self.exit_resource(name, True, current, after if after is not None else predicted)
