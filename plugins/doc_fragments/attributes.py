# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    # Modules that change things: full check and diff mode.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
    description: A check run sends no write and reports exactly what a real run would change, with the predicted object.
  diff_mode:
    support: full
    description: With C(--diff), C(diff.before) and C(diff.after) show the resource, secrets masked.
  platform:
    support: full
    platforms: all
    description: Runs on the controller or any host that can reach the API.
"""

    # Read-only modules.
    INFO = r"""
attributes:
  check_mode:
    support: full
    description: The module only reads; it runs the same in check mode.
  diff_mode:
    support: none
    description: Nothing is changed, so there is nothing to diff.
  platform:
    support: full
    platforms: all
    description: Runs on the controller or any host that can reach the API.
"""

    # The request modules: a read is sent in check mode, a write is not.
    RAW_REQUEST = r"""
attributes:
  check_mode:
    support: partial
    description: A check run sends reads only.
    details: >-
      A call the task declares as not changing (V(GET), V(HEAD), or any call with O(changed=false)) is sent in check
      mode and returns its answer. Any other call is not sent: the task reports changed and returns no answer
      (C(status) and C(json) null, C(attempts) 0).
  diff_mode:
    support: none
    description: The module does not know the state before and after an arbitrary request, so it returns no diff.
  platform:
    support: full
    platforms: all
    description: Runs on the controller or any host that can reach the API.
"""

    FOXOPS_GROUP = r"""
attributes:
  action_group:
    support: full
    membership:
      - apiops.platforms.foxops
    description: Use C(group/apiops.platforms.foxops) in C(module_defaults) to set the connection options once.
"""

    STOCKTRIM_GROUP = r"""
attributes:
  action_group:
    support: full
    membership:
      - apiops.platforms.stocktrim
    description: Use C(group/apiops.platforms.stocktrim) in C(module_defaults) to set the connection options once.
"""
