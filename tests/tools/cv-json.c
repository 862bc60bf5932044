// SPDX-License-Identifier: GPL-2.0
/*
 * cv-json PATH: reads one JSON document from stdin with json-c's strict
 * parser and prints the value at PATH ("cells.1.name": members and array
 * indexes separated by dots; "." is the whole document). Exit status 1
 * when stdin is not one JSON document, 2 when PATH is not in it. The
 * system tests check cellctl's --json output with it inside the guest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#define MAX_INPUT	(1 << 20)

static json_object *parse_stdin(void)
{
	static char buf[MAX_INPUT + 1];
	struct json_tokener *tok = json_tokener_new();
	size_t len = fread(buf, 1, MAX_INPUT, stdin);
	json_object *o;
	int end;

	if (!tok)
		return NULL;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	o = json_tokener_parse_ex(tok, buf, (int)len);
	end = (int)json_tokener_get_parse_end(tok);
	if (o && strspn(buf + end, " \t\r\n") != len - end) {
		json_object_put(o);
		o = NULL;	/* text after the document */
	}
	if (!o)
		fprintf(stderr, "cv-json: not one JSON document: %s\n",
			json_tokener_error_desc(json_tokener_get_error(tok)));
	json_tokener_free(tok);
	return o;
}

/*
 * One step from *O: a member of an object or an index into an array.
 * 0 when it is there (*O NULL: a JSON null), -1 otherwise.
 */
static int step(json_object **o, const char *name)
{
	char *end;
	long i;

	if (json_object_is_type(*o, json_type_array)) {
		i = strtol(name, &end, 10);
		if (*end || end == name || i < 0 ||
		    (size_t)i >= json_object_array_length(*o))
			return -1;
		*o = json_object_array_get_idx(*o, i);
		return 0;
	}
	if (!json_object_is_type(*o, json_type_object) ||
	    !json_object_object_get_ex(*o, name, o))
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	json_object *top, *o;	/* o NULL: a JSON null */
	char *path, *name, *save = NULL;

	if (argc != 2) {
		fprintf(stderr, "usage: cv-json PATH <JSON\n");
		return 2;
	}
	top = parse_stdin();
	if (!top)
		return 1;
	path = strdup(argv[1]);
	o = top;
	for (name = strtok_r(path, ".", &save); name;
	     name = strtok_r(NULL, ".", &save)) {
		if (!o || step(&o, name)) {
			fprintf(stderr, "cv-json: no '%s' in the document\n",
				argv[1]);
			return 2;
		}
	}
	if (json_object_is_type(o, json_type_string))
		printf("%s\n", json_object_get_string(o));
	else
		printf("%s\n", json_object_to_json_string_ext(o,
			JSON_C_TO_STRING_PLAIN));
	return 0;
}
