#!/usr/bin/env node
'use strict';
require('./load.cjs')().exports.run('xenstore-rm', process.argv.slice(2));
