// SPDX-License-Identifier: GPL-2.0
/* cellctl's main(), kept apart so unit tests can link the dispatcher. */
#include "cellctl.h"

int main(int argc, char **argv)
{
	return cellctl_main(argc, argv);
}
