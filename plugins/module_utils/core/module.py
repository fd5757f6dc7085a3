# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base module class: options, the client, and failures.

:class:`ApiModule` is an AnsibleModule bound to one API client class: it adds the connection options, makes
the client on first use, and turns any :class:`~errors.ApiError` into one ``fail_json`` with the contract's
structured fields.  What a module does with it is declared as a spec and run by the engine (``engine.py``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.apiops.platforms.plugins.module_utils.core import plan
from ansible_collections.apiops.platforms.plugins.module_utils.core.connection import secret_header_values
from ansible_collections.apiops.platforms.plugins.module_utils.core.errors import ApiError, error_result
from ansible_collections.apiops.platforms.plugins.module_utils.core.transport import (
    HAS_REQUESTS,
    HAS_TENACITY,
    REQUESTS_IMPORT_ERROR,
    TENACITY_IMPORT_ERROR,
)


class ApiModule(AnsibleModule):
    """An AnsibleModule bound to one API client class (Foxops or StockTrim)."""

    plan_record = None  # what the run does to its object(s), set by the engine; in every result (core/plan.py)

    def __init__(self, client_class, argument_spec=None, **kwargs):
        spec = dict(argument_spec or {})
        spec.update(copy.deepcopy(client_class.connection_spec))
        kwargs.setdefault("supports_check_mode", True)
        super(ApiModule, self).__init__(argument_spec=spec, **kwargs)
        self._mask_secret_headers()
        self.client_class = client_class
        self._client = None
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
        if not HAS_TENACITY:
            self.fail_json(msg=missing_required_lib("tenacity"), exception=TENACITY_IMPORT_ERROR)

    def _mask_secret_headers(self):
        """Header values that look like secrets are masked in every result and failure, as no_log options are."""
        if isinstance(self.params.get("headers"), dict):
            self.no_log_values.update(v for v in secret_header_values(self.params["headers"]) if v)

    def _log_invocation(self):
        self._mask_secret_headers()  # before the invocation is logged
        super(ApiModule, self)._log_invocation()

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

    def exit_json(self, **kwargs):
        super(ApiModule, self).exit_json(**plan.finish(self.plan_record, kwargs))

    def fail_json(self, msg, **kwargs):
        super(ApiModule, self).fail_json(msg, **plan.finish(self.plan_record, kwargs, failed=True))

    def fail_error(self, err, msg=None, **extra):
        result = error_result(err, msg)
        result.update(extra)
        self.fail_json(**result)
