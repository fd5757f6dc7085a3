# Copyright: contributors to apiops.platforms
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# Sphinx configuration of the documentation site (scripts/docs.sh builds it); first written by antsibull-docs.

project = 'apiops.platforms'
copyright = 'contributors to apiops.platforms'

title = 'apiops.platforms'
html_short_title = 'apiops.platforms'

extensions = ['sphinx.ext.autodoc', 'sphinx.ext.intersphinx', 'sphinx_antsibull_ext', 'myst_parser']
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
myst_heading_anchors = 3

pygments_style = 'ansible'

highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False

display_version = False

html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

# See https://www.sphinx-doc.org/en/master/usage/extensions/intersphinx.html#confval-intersphinx_mapping for the syntax
# The site is built offline: references to the Ansible documentation (common return values, configuration
# settings) stay plain text instead of failing the build.
intersphinx_mapping = {}
suppress_warnings = ['ref.ref', 'myst.xref_missing']

default_role = 'any'

nitpicky = False
html_theme_options = {'topbar_links': {}}  # the site speaks of this collection only
