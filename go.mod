module github.com/parallelize-your-go/kit

go 1.26
