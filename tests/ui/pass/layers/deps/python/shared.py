SHARED = "deps"
