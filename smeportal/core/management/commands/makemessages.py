"""makemessages without fuzzy matching: a guessed translation of a new string is worse than none.

Fuzzy guesses ("Done" → "Klart:") hide new strings from the completeness test; without them every
new string shows up as untranslated until someone translates it.
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
