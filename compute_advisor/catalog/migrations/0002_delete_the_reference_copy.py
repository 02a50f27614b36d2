# The catalog is no longer copied into the database: the pages, the API and the engine all read the engine's
# reference data (compute_advisor/engine/reference.py and engine/data/). Nothing pointed at these tables.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0001_initial'),
    ]

    operations = [
        # The notices first: they point at the services.
        migrations.DeleteModel(name='ServiceNotice'),
        migrations.DeleteModel(name='Service'),
        migrations.DeleteModel(name='AppRunnerInstanceSize'),
        migrations.DeleteModel(name='Ec2InstanceType'),
        migrations.DeleteModel(name='FargateTaskSize'),
        migrations.DeleteModel(name='LightsailBundle'),
        migrations.DeleteModel(name='LightsailContainerPower'),
    ]
