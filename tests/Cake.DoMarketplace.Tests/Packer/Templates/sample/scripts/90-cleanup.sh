#!/bin/bash
# A stand-in for the sample's cleanup: the addin's own cleanup runs after the provisioners anyway.
set -e
apt-get -qq clean
rm -rf /var/tmp/*
