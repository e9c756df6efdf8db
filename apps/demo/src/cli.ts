console.log("embedkit", process.argv.slice(2));
