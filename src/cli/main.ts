#!/usr/bin/env node
/** The `kos` command. */
import { Command } from 'commander';
import { listFaults, setFault } from './fault.js';
import { rotateTokenKeys } from './token-keys.js';
import { up } from './up.js';

const program = new Command();
program.name('kos').description('An integrated OpenStack + Kubernetes private cloud in one process');

program
  .command('up')
  .description('start every kos API in this process')
  .option('--data-dir <dir>', 'where state lives (default $KOS_DATA_DIR or ~/.local/share/kos)')
  .option('--host <host>', 'address to listen on (default 127.0.0.1)')
  .option('--port <port>', 'port of the OpenStack APIs (default 5000)')
  .option('--kubernetes-port <port>', 'HTTPS port of Kubernetes cluster default (default 6443)')
  .option('--config <file>', 'YAML configuration file')
  .option('--log-level <level>', 'request log level: trace, debug, info, warn, error, silent')
  .action(up);

program
  .command('token-keys')
  .description('manage the Keystone token key repository')
  .command('rotate')
  .description('promote the staged key to primary and stage a new one (like keystone-manage fernet_rotate)')
  .option('--data-dir <dir>', 'the data dir of the kos whose keys to rotate')
  .action(rotateTokenKeys);

const fault = program.command('fault').description('rehearse failures against a running kos (admin of its clouds.yaml)');
fault
  .command('list')
  .description('the kinds of fault and their targets, with what is down')
  .option('--data-dir <dir>', 'the data dir of the running kos')
  .action(listFaults);
fault
  .command('down <kind> <name>')
  .description('take a target down: `kos fault down node kos-worker-0`, `kos fault down hypervisor az1-hv-1`')
  .option('--data-dir <dir>', 'the data dir of the running kos')
  .action(setFault('down'));
fault
  .command('up <kind> <name>')
  .description('bring a target back')
  .option('--data-dir <dir>', 'the data dir of the running kos')
  .action(setFault('up'));

await program.parseAsync(process.argv);
