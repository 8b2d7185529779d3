/* ubd on MConsole: "config ubdb=cow,backing", "config ubdb" and "remove ubdb". */
#include "drivers/ubd/ubd.h"
#include "mconsole/mconsole.h"

static struct mconsole_device ubd_mconsole = {
	.name = "ubd",
	.config = ubd_config,
	.get_config = ubd_get_config,
	.id = ubd_id,
	.remove = ubd_remove,
};

void ubd_mconsole_register(void)
{
	mconsole_register_device(&ubd_mconsole);
}
