package parkit_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/parallelize-your-go/kit/parkit"
)

// Tasks for worker processes are registered in package-level vars (here
// squareTask and crashTask, declared in process_test.go): a worker is this
// program re-executed, and it knows only what package initialization
// registers.
func ExampleNew_processes() {
	ex, err := parkit.New(parkit.Processes, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer ex.Close() // waits for running tasks, then the workers exit

	squares, err := parkit.Map(context.Background(), ex, squareTask, []int{1, 2, 3, 4})
	fmt.Println(squares, err)

	// A task that calls os.Exit ends its worker only: its own future
	// fails, and the pool starts a new worker for the next task.
	_, err = parkit.Submit(ex, crashTask, "exit").Result()
	fmt.Println(errors.Is(err, parkit.ErrWorkerCrashed))
	n, err := parkit.Submit(ex, squareTask, 5).Result()
	fmt.Println(n, err)
	// Output:
	// [1 4 9 16] <nil>
	// true
	// 25 <nil>
}
