#!/bin/sh
# Runs once on the first boot of every droplet made from the image.
echo "minimal example first boot at $(date -u)" > /root/first-boot.txt
