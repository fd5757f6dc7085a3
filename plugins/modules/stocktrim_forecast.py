#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stocktrim_forecast
short_description: Run the StockTrim forecast calculation, and wait for it
version_added: 1.0.0
description:
  - Starts StockTrim's forecast calculation (which also recalculates the order plan), and with O(wait)
    waits until StockTrim reports that it is no longer processing.
  - Starting the calculation is an action, not a state, so a run that starts it always reports changed.
  - The start request acts every time StockTrim receives it, so it is sent once and never again, even when
    the answer is lost or late; such a failure is reported with the number of attempts (1).
  - In check mode the calculation is not started; the module returns the current processing status and
    reports changed, as the real run would.
  - Any failure after the start request was sent (such as an error reading the status while waiting) is
    reported with C(changed=true), as the calculation may be running.
  - Where StockTrim leaves out C(isProcessing), the calculation counts as running while
    C(percentageComplete) is below 100.
options:
  wait:
    description:
      - Wait until the calculation has finished.
    type: bool
    default: false
  wait_timeout:
    description:
      - With O(wait), how many seconds to wait at most. When the calculation is still running after that,
        the module fails with error C(timeout), C(changed=true) and RV(last_status) (the calculation keeps
        running in StockTrim).
      - A first reading identical to the status before the start, not processing, is read once more after
        O(wait_sleep), in case StockTrim had not picked the calculation up yet.
    type: float
    default: 600
  wait_sleep:
    description:
      - With O(wait), how many seconds to wait between two readings of the processing status.
    type: float
    default: 5
attributes:
  check_mode:
    support: partial
    details:
      - A check run does not start the calculation, so it cannot know the processing status once the calculation has
        started; it reports changed, as the real run would, and returns the current status.
extends_documentation_fragment:
  - apiops.platforms.stocktrim
  - apiops.platforms.attributes
  - apiops.platforms.attributes.stocktrim_group
seealso:
  - module: apiops.platforms.stocktrim_order_plan_info
author:
  - apiops.platforms maintainers (@apiops)
"""

EXAMPLES = r"""
- name: Recalculate the forecast and wait for it, at most 20 minutes
  apiops.platforms.stocktrim_forecast:
    auth_id: "{{ stocktrim_auth_id }}"
    auth_signature: "{{ stocktrim_auth_signature }}"
    wait: true
    wait_timeout: 1200
    wait_sleep: 10
  register: forecast

- name: Show how it ended
  ansible.builtin.debug:
    msg: "{{ forecast.status.status_message }}"
"""

RETURN = r"""
status:
  description:
    - StockTrim's processing status after the task; in check mode the current one.
    - With O(wait) the status once the calculation finished; without, the status read right after starting it.
  returned: always
  type: dict
  contains:
    id:
      description: The id of the status record.
      type: int
    is_processing:
      description: Whether a calculation is running.
      type: bool
    percentage_complete:
      description: How far the calculation is, in percent.
      type: int
    status_message:
      description: StockTrim's message about the calculation.
      type: str
  sample:
    id: 1
    is_processing: false
    percentage_complete: 100
    status_message: Forecast calculation complete
last_status:
  description:
    - When O(wait) timed out (the task fails with error C(timeout)), the last processing status read, with
      the same keys as RV(status). The C(status) of a failure is the HTTP status, as for every module.
  returned: when O(wait) timed out
  type: dict
  sample:
    id: 1
    is_processing: true
    percentage_complete: 40
    status_message: Calculating forecasts
"""

from ansible_collections.apiops.platforms.plugins.module_utils.stocktrim.forecast import FORECAST


def main():
    FORECAST.run()


if __name__ == "__main__":
    main()
