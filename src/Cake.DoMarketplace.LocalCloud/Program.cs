using Cake.DoMarketplace.LocalCloud;

// dotnet run --project src/Cake.DoMarketplace.LocalCloud -- --port 7117 --data-dir .local-cloud --token local-token
return await CloudCommand.RunAsync(args);
