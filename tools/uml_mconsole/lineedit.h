/* A small line editor for the interactive prompt (no readline needed): on a terminal,
 * editing keys and history; otherwise plain lines. */
#ifndef UML_MCONSOLE_LINEEDIT_H
#define UML_MCONSOLE_LINEEDIT_H

/* Prints prompt and reads one line (without its newline) into a malloc'd string;
 * NULL at end of input. */
char *lineedit_read(const char *prompt);
/* Remembers line for the up/down keys. */
void lineedit_history_add(const char *line);

#endif
